// Kubernetes quantities in the forms the model accepts (see cluster-schema.ts), as numbers, so
// rules can compare requests with limits.

/** "500m" → 0.5, "2" → 2, "1.5" → 1.5 (cores). */
export function cpuCores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** "512Mi" → 512, "4Gi" → 4096 (MiB). */
export function memoryMiB(quantity: string): number {
  const amount = Number(quantity.slice(0, -2));
  return quantity.endsWith("Gi") ? amount * 1024 : amount;
}
