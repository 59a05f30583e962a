/**
 * Text from outside (Kubernetes and AWS answers, a user's arguments) made
 * safe to print on a terminal: control characters could move the cursor,
 * erase lines or retitle the window (ESC, CR, BEL), and bidirectional
 * overrides could make a line read differently from what it holds. Each is
 * shown as an escape instead (`\x1b`, `\n`, `\u202e`), and a backslash as
 * `\\`, so what is printed is unambiguous. `--json` output needs none of this:
 * JSON escapes control characters itself.
 */

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

/** C0 and C1 control characters, DEL, the backslash, and Unicode's bidirectional controls and line separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character that could change the terminal's display written as an escape. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (character) => {
    const named = NAMED[character];
    if (named) return named;
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
