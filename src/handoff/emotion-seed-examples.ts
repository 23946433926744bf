/**
 * Hand-written customer-service messages added to the emotion model's training data, because
 * GoEmotions is Reddit text and rarely sounds like an upset bank customer. Not from any test split.
 */
export const UPSET_SEEDS: readonly string[] = [
  'This is ridiculous, I have been waiting three weeks for my refund',
  'I am so angry, you blocked my card again while I was abroad',
  'Absolutely useless service, nobody ever answers',
  'I am really worried, I think someone has taken all my money',
  'I am scared I will lose my house',
  'This is the third time I have asked and you still have not fixed it',
  'I am fed up with your bank',
  'I feel so stressed, I cannot sleep because of this debt',
  'Why does this keep happening? I am sick of it',
  'I am devastated, my savings are gone',
  'You people are a joke, this is disgraceful',
  'I am really upset that my payment bounced and I got charged',
  'I am panicking, my wages have not arrived and rent is due',
  'Honestly so disappointed with how this was handled',
  'I have had enough of being passed around',
  'I am frightened someone is using my account',
];

export const CALM_SEEDS: readonly string[] = [
  'How do I change my address?',
  'What is the interest rate on the easy saver?',
  'Can I order a new card?',
  'Thanks, that worked',
  'Where can I see my statements?',
  'How long does a transfer to another bank take?',
  'What are the fees for using my card abroad?',
  'Please freeze my card',
  'I would like to make a complaint about a charge',
  'My card has not arrived yet, when should I expect it?',
];
