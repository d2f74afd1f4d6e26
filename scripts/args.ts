import { ConfigError } from '../src/sim/config';

/**
 * Minimal command-line flags: `--name value`, `--name=value`, `--flag` (true) and
 * `--no-flag` (false). Returns the flags by name; unknown names are left to the caller.
 * Throws a {@link ConfigError} naming the argument for a bare word (`foo`, `-h`), a nameless
 * flag (`--`, `--=3`) and a flag given twice: the scripts answer every mistake with one line
 * and exit code 2 ({@link ./flags.ts#runCli}).
 */
export function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const put = (name: string, value: string | boolean, arg: string) => {
    if (name === '' || name.startsWith('-'))
      throw new ConfigError(arg, `unexpected argument "${arg}": a flag needs a name (see --help)`);
    if (Object.hasOwn(out, name))
      throw new ConfigError(name, `--${name} is given twice; give it once`);
    out[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--'))
      throw new ConfigError(
        a,
        `unexpected argument "${a}": flags start with -- and take their value after them, as in --seed 7 (see --help)`,
      );
    const eq = a.indexOf('=');
    if (eq >= 0) put(a.slice(2, eq), a.slice(eq + 1), a);
    else if (a.startsWith('--no-')) put(a.slice(5), false, a);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) put(a.slice(2), argv[++i], a);
    else put(a.slice(2), true, a);
  }
  return out;
}
