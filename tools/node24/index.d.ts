/** Absolute path of a Node >= 22 binary, or undefined when none is available on this machine. */
export declare function node24Binary(): string | undefined;
