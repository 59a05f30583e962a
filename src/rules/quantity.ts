/**
 * Kubernetes quantities as the API and the kubelet write them, read the way
 * k8s.io/apimachinery/pkg/api/resource does (quantity.go's grammar, suffix.go's
 * suffixes):
 *
 *   <quantity>  ::= <sign>? <number> <suffix>
 *   <number>    ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>    ::= Ki | Mi | Gi | Ti | Pi | Ei             (powers of 1024)
 *                 | n | u | m | "" | k | M | G | T | P | E (powers of 1000)
 *                 | e<signed integer> | E<signed integer>  (decimal exponent)
 *
 * A JSON number counts as the quantity it writes (`110` is `"110"`). Values
 * are plain numbers in the base unit (bytes, cores, pods): precise enough to
 * compare what a node reports with what was configured.
 */

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|([A-Za-z]{0,2}))$/;

/** A quantity's value in its base unit, or undefined when it is not a Kubernetes quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, number, exponent, suffix = ""] = match;
  if (exponent !== undefined) {
    const result = Number(`${number}${exponent}`);
    return Number.isFinite(result) ? result : undefined;
  }
  const scale = Object.hasOwn(BINARY, suffix) ? BINARY[suffix] : Object.hasOwn(DECIMAL, suffix) ? DECIMAL[suffix] : undefined;
  return scale === undefined ? undefined : Number(number) * scale;
}
