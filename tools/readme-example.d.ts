/** Runs a package README's example and returns its output beside the README's expected output. */
export declare const runReadmeExample: (packageRoot: string) => { printed: string; expected: string | undefined };
