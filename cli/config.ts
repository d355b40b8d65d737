import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One named connection: the factory's base URL, an API key, and the default tenant and project. */
export interface Profile {
  url: string;
  key: string;
  tenant?: string;
  project?: string;
}

/** `$XDG_CONFIG_HOME/factory/config.json` (mode 0600): the profiles and which one is current. */
export interface ConfigFile {
  current?: string;
  profiles: Record<string, Profile>;
}

/** The config file's path: `$XDG_CONFIG_HOME/factory/config.json`, `~/.config/factory/config.json` without it (XDG Base Directory spec). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'factory', 'config.json');
}

export function readConfig(file = configPath()): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ConfigFile>;
  return { current: parsed.current, profiles: parsed.profiles ?? {} };
}

/** Writes the config readable by its owner only (the file holds API keys): dir 0700, file 0600. */
export function writeConfig(config: ConfigFile, file = configPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

/** The tenant a factory key belongs to: keys are `sf_<tenant>.<id>_<secret>` (see the API's key docs); undefined for other keys. */
export function tenantOfKey(key: string): string | undefined {
  const m = /^sf_(.+)\.[0-9a-f]+_[0-9a-f]{32,}$/.exec(key);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}
