// Path patterns of the corpus definition. Globs are what a reader of real-sources.json expects
// ("output/renders/*/dmin-*"), compiled to anchored regular expressions so matching is one test
// per rule; a rule may give a `regex` instead when a name holds glob characters (commas, braces).
//
//   **/  any number of folders (also none)    **  anything, slashes included
//   *    anything within one path segment     ?   one character other than '/'
//   {a,b} one of the alternatives (may be empty: "dal2{-*,}.jpg"); no nesting

const SPECIAL = /[\\^$.+()|[\]{}]/;

export function globToRegExp(glob: string): RegExp {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{' && !inBraces) {
      if (!glob.includes('}', i)) throw new Error(`unclosed "{" in the pattern "${glob}"`);
      inBraces = true;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) {
      out += '|';
    } else {
      out += SPECIAL.test(c) ? `\\${c}` : c;
    }
  }
  return new RegExp(`^${out}$`);
}
