/** `$0`, `$0.0042`, `$4.80`, `$1,402`: enough digits to see small per-run figures. One implementation for messages and comments. */
export function formatUsd(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 ? "-" : "";
  if (abs === 0) return "$0";
  if (abs < 0.01) return `${sign}$${Number(abs.toPrecision(2))}`;
  if (abs < 1000) return `${sign}$${abs.toFixed(2)}`;
  return `${sign}$${Math.round(abs).toLocaleString("en-US")}`;
}
