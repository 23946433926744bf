/**
 * A circuit breaker: after `failureThreshold` consecutive upstream failures it opens and fails
 * calls at once for `resetAfterMs`, then lets one trial call through (half-open). A success
 * closes it; a failure opens it again. This keeps a struggling core system from being hammered
 * and keeps customers from waiting on calls that will time out anyway.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  readonly failureThreshold?: number;
  readonly resetAfterMs?: number;
  readonly now?: () => number;
}

export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #resetAfterMs: number;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor({
    failureThreshold = 5,
    resetAfterMs = 30_000,
    now = () => Date.now(),
  }: CircuitBreakerOptions = {}) {
    this.#failureThreshold = failureThreshold;
    this.#resetAfterMs = resetAfterMs;
    this.#now = now;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#resetAfterMs)
      this.#state = 'half_open';
    return this.#state;
  }

  /** Whether a call may go out now. In half-open state only one trial call is allowed at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half_open' && !this.#trialInFlight) {
      this.#trialInFlight = true;
      return true;
    }
    return false;
  }

  recordSuccess(): void {
    this.#state = 'closed';
    this.#consecutiveFailures = 0;
    this.#trialInFlight = false;
  }

  recordFailure(): void {
    this.#trialInFlight = false;
    this.#consecutiveFailures += 1;
    if (this.#state === 'half_open' || this.#consecutiveFailures >= this.#failureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
  }

  /** A call that ended without a verdict on upstream health (e.g. a 404) releases a half-open trial. */
  release(): void {
    this.#trialInFlight = false;
  }
}
