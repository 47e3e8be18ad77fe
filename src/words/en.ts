// The words readers see outside the bulletin, in English: the mail's footer, the confirmation
// mail and the public pages. Every other language's file has these keys and these {slots}.
export const en = {
  /** The bulletin theme's footer: in every mail, and the archive copy's call to subscribe. */
  footer: {
    viewInBrowser: 'View this email in your browser',
    preferences: 'Manage your preferences',
    unsubscribe: 'Unsubscribe',
    whyTopic: 'You receive this email because you subscribed to {topic} from {organisation}.',
    whyGeneral: 'You receive this email because you subscribed to news from {organisation}.',
    subscribeCall: 'Receive the next bulletins of {organisation} by email.',
    subscribe: 'Subscribe',
  },
  /** The few words the theme writes inside the bulletin's blocks. */
  bulletin: {
    contact: 'Contact',
    progress: '{current} of {target} {unit}',
    goal: 'Goal: {target} {unit}',
  },
  /** The double opt-in mail. */
  confirmation: {
    subject: 'Confirm your subscription',
    preview: "One click to start receiving {organisation}'s bulletins.",
    asked:
      'Someone, we hope you, asked to receive the bulletins of {organisation} at this address. ' +
      'To start receiving them, confirm your subscription:',
    button: 'Confirm my subscription',
    expiry: 'The link works for 7 days.',
    notYou: 'If you did not ask for this, ignore this email: we will not write to you again.',
    copy: 'If the button does not work, copy this link into your browser:',
  },
  /** The subscribe form and the pages of double opt-in. */
  subscribe: {
    title: 'Subscribe',
    intro:
      'Receive news and calls to action from {organisation} by email. ' +
      'We will send you an email to confirm your address.',
    email: 'Email address',
    name: 'Name (optional)',
    language: 'Language of the emails',
    topics: 'Topics',
    topicsHint: 'Choose what you want to receive. If you choose none, you receive them all.',
    honeypot: 'Leave this field empty',
    subscribe: 'Subscribe',
    leaveAnyTime: 'You can unsubscribe at any time with the link at the end of every email.',
    problem: 'Please correct the following',
    errorPrefix: 'Error',
    emailError: 'Enter an email address such as name@example.org.',
    nameError: 'Your name can have at most 200 characters.',
    languageError: 'Choose one of the languages listed.',
    topicsError: 'Choose among the topics listed.',
    checkEmail: 'Check your email',
    checkEmailText: 'To finish, open the email we sent you and confirm your subscription. The link works for 7 days.',
    checkEmailMore:
      'If nothing arrives within a few minutes, look in your spam folder. ' +
      'If you are already subscribed, there is nothing more to do.',
    tooMany: 'Too many attempts',
    tooManyText: 'Please wait a few minutes and try again.',
    confirm: 'Confirm your subscription',
    confirmText: 'Confirm that you want to receive the emails of {organisation} at',
    confirmButton: 'Confirm my subscription',
    confirmed: 'Your subscription is confirmed',
    confirmedText:
      'Thank you. You will receive our next emails at this address. Every email has a link to unsubscribe.',
    expired: 'This link has expired',
    expiredText: 'Confirmation links work for 7 days. We can send you a new one.',
    resend: 'Send me a new link',
    resent: 'We sent you a new link',
    resentText:
      'Open the email and confirm your subscription within 7 days. ' +
      'If nothing arrives within a few minutes, look in your spam folder.',
    invalid: 'This link does not work',
    invalidText: 'The link may have been cut short when it was copied. Please open the link in the email again.',
    stale: 'This link is no longer valid',
    staleText: 'You can subscribe again at any time:',
  },
  /** The preference page behind each mail's link. */
  preferences: {
    title: 'Your preferences',
    intro: 'Choose what you receive from {organisation} at',
    topics: 'Topics',
    language: 'Language of your emails',
    pause: 'Take a break',
    noPause: 'Keep sending',
    pauseFor: 'Pause for {days} days',
    pausedUntil: 'Paused until {date}',
    resume: 'Resume now',
    leave: 'Unsubscribe from everything',
    save: 'Save my choices',
    saveAndReturn: 'Save and subscribe again',
    saved: 'Your choices are saved.',
    unsubscribed: 'You are unsubscribed. Saving your choices subscribes you again.',
    left:
      'You are unsubscribed. You will not receive any more emails from us. ' +
      'To subscribe again, choose what you receive below and save.',
    stopped: 'We no longer send mail to this address.',
    invalid: 'This link does not work',
    invalidText: 'The link may have been cut short when it was copied. Please use the link in one of our emails again.',
  },
  /** The unsubscribe page and its answer. */
  unsubscribe: {
    title: 'Unsubscribe',
    ask: 'Stop receiving every email from {organisation} at',
    askMore: 'You will no longer receive any of our bulletins, whatever their topic.',
    button: 'Unsubscribe',
    instead: 'Rather not leave altogether?',
    pauseInstead: 'Pause our emails for 30, 60 or 90 days',
    topicsInstead: 'Choose the topics you receive',
    done: 'You are unsubscribed',
    doneText: 'You will not receive any more emails from {organisation} at',
    already: 'You are already unsubscribed',
    alreadyText: '{organisation} sends no more emails to',
    changedMind: 'Changed your mind?',
    resubscribe: 'Subscribe again',
    fromPreferences: 'from your preferences page.',
    stopped: 'We no longer send emails to this address',
    invalid: 'This link does not work',
    invalidText:
      'The link may have been cut short when it was copied. Please use the unsubscribe link in the email again.',
  },
  /** The public archive of sent bulletins. */
  archive: {
    title: 'Bulletin archive',
    intro: 'Every bulletin we have sent, newest first.',
    empty: 'No bulletins have been sent yet.',
    newer: 'Newer bulletins',
    older: 'Older bulletins',
    pageOf: 'Page {page} of {pages}',
    allBulletins: 'All bulletins',
    notFound: 'Bulletin not found',
    notFoundText:
      'There is no bulletin at this address. It may not have been sent yet, ' +
      'or the link may have been cut short when it was copied.',
  },
};
