import type { Principal } from '../turn/types.js';

// Typed context variables, set by middleware and read by routes.
declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}
