/** `$0`, `$0.0042`, `$0.00000076`, `$4.80`, `$1,402`: enough digits to see small per-run figures, never an exponent. One implementation for messages and comments. */
export function formatUsd(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 ? "-" : "";
  if (abs === 0) return "$0";
  if (abs < 0.01) return `${sign}$${twoSignificant(abs)}`;
  if (abs < 1000) return `${sign}$${abs.toFixed(2)}`;
  return `${sign}$${Math.round(abs).toLocaleString("en-US")}`;
}

/**
 * Two significant digits of a figure below one cent, written out: `7.6e-7` is `0.00000076`
 * (String(Number) turns to an exponent below 1e-6, which a cost table should not show).
 */
function twoSignificant(abs: number): string {
  const rounded = Number(abs.toPrecision(2));
  const decimals = Math.min(100, Math.max(2, 1 - Math.floor(Math.log10(rounded))));
  return rounded.toFixed(decimals).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}
