/** The most characters a status message carries; longer ones are cut with an ellipsis. */
export const maxStatusMessageLength = 200;

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A status message safe for any trailer: control characters escaped, lone surrogates replaced, at most maxStatusMessageLength characters. */
export function boundedStatusMessage(message: string): string {
  const escaped = message.slice(0, maxStatusMessageLength * 2).replace(loneSurrogate, '\ufffd').replace(unsafe, escapeCharacter);
  if (escaped.length <= maxStatusMessageLength && message.length <= maxStatusMessageLength * 2) return escaped;
  return `${escaped.slice(0, maxStatusMessageLength - 1).replace(/\\(u[0-9a-f]{0,3})?$/, '').replace(loneSurrogate, '\ufffd')}…`;
}

function escapeCharacter(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
