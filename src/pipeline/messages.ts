/** Customer-facing texts the pipeline itself uses. Policy-specific texts live in knowledge/policies. */
export const CUSTOMER_MESSAGES = {
  refusal:
    "I'm sorry, I can't help with that here. I can help with your accounts, cards, payments and our policies.",
  agentPending:
    'Thanks, your message has been added to the conversation. A member of our team is looking at it and will reply here.',
  handoffLimited:
    "You've asked for a person several times in the last few minutes, so I haven't opened another request. A member of our team will contact you about your earlier request.",
  notFound: "I'm sorry, I haven't been able to find the answer to that.",
  safeFallback:
    "I'm sorry, I couldn't check my answer properly, so I won't guess. A member of our team can help you with this.",
  guardrailUnavailable:
    "I'm sorry, I can't process this message safely right now. Please try again in a moment, or ask to speak to a person.",
} as const;
