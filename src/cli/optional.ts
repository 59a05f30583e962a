/**
 * Packages only the command needs: `npm install eks-pod-density` does not install them (optional peer
 * dependencies), so an app that imports the constructs gets neither the AWS SDK's EC2 client nor the Kubernetes
 * client. The command loads them when a subcommand needs them, and says how to install them when they are missing.
 */

/** The optional packages, with the ranges package.json's peerDependencies give them. */
export const OPTIONAL_PACKAGES = {
  "@aws-sdk/client-ec2": "^3.1169.0",
  "@kubernetes/client-node": "^1.4.0",
} as const;
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** A package the command needs is not installed; the message says what needs it and how to install it. */
export class MissingPackageError extends Error {
  override name = "MissingPackageError";
}

/** The message for `name` missing when `what` needs it. */
export function missingPackageMessage(name: OptionalPackage, what: string): string {
  return `${what} needs ${name}, which is not installed: npm installs eks-pod-density without it (the constructs do not use it). Install it beside eks-pod-density: npm install --save-dev "${name}@${OPTIONAL_PACKAGES[name]}"`;
}

/**
 * `load()` (an `import()` of `name`, or of a module that imports it), or a {@link MissingPackageError} when Node
 * cannot find `name` itself; any other failure is thrown as it is.
 */
export async function loadOptional<T>(name: OptionalPackage, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Node's ESM resolver: "Cannot find package '<name>' imported from <file>" (ERR_MODULE_NOT_FOUND).
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(message).includes(`'${name}'`)) {
      throw new MissingPackageError(missingPackageMessage(name, what));
    }
    throw error;
  }
}
