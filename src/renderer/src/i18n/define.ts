/** A feature's strings: Japanese must have every English key (the type checker enforces it). */
export const defineMessages = <const E extends Record<string, string>>(en: E, ja: Record<keyof E, string>) => ({ en, ja })
