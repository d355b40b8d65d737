import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Whether to color a stream: only a TTY, never with `NO_COLOR` set (https://no-color.org) or
 * `TERM=dumb`; `FORCE_COLOR` (non-zero) forces it.
 */
export function colorsOn(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** A painter for one stream: `paint('green', text)` colors only when the stream may have colors. */
export function painter(stream: NodeJS.WriteStream = process.stdout): (style: Style, text: string) => string {
  const on = colorsOn(stream);
  return (style, text) => (on ? styleText(style, text) : text);
}
