/** The path of a Node.js binary of that major version (or exact version, `20.19.0`), installing it on first use (scripts/nodeBinary.mjs). */
export declare function nodeBinary(major: number | string): string;
