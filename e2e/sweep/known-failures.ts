/**
 * Cases that fail today because of a bug or a gap in our server, by case id, with what goes wrong.
 * Each runs as `it.fails`, so the sweep turns red when one starts passing: then delete its entry.
 * Empty: every valid request is either answered or refused as agreed (`unsupported` in the case tables).
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {};
