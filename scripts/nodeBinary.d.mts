/** The path of a Node.js binary of that major version, installing it on first use (scripts/nodeBinary.mjs). */
export declare function nodeBinary(major: number): string;
