/** The Redis commands the app's shared state uses: marks (marks.ts) and refresh locks (refresh-lock.ts). */
export interface RedisCommands {
  /** `SET key value NX PX ms`: 'OK' when the key was not there, null when it was. */
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<string | null>;
  exists(key: string): Promise<number>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}
