// How big an OTLP request between the Collector and Tempo can be, on both sides, from one figure.
// gRPC refuses a message over the receiver's limit (4 MiB unless set) as a whole: one batch of
// 8192 large spans over it would be lost, retried and refused again. So the gateways' exporter
// splits every request at COLLECTOR_MAX_REQUEST_BYTES of encoded OTLP (what gRPC counts), and
// Tempo's distributor accepts a little more than the larger of that and the biggest trace a
// tenant may send: one span cannot be split, and Tempo takes a trace up to that size.
import type { Cluster } from "../model/types.ts";

const MIB = 1024 * 1024;

/** The largest request a Collector sends Tempo, in bytes of encoded OTLP (its exporter splits bigger ones). */
export const COLLECTOR_MAX_REQUEST_BYTES = 8 * MIB;

/** Room for what wraps the spans in a request (resource and scope per batch), in MiB. */
export const ENVELOPE_MIB = 1;

/** Tempo's distributor gRPC receive limit for this cluster, in MiB. */
export function distributorMaxRecvMiB(cluster: Cluster): number {
  const largestTrace = cluster.tempo.tenantLimits.maxTraceSizeMB * 1_000_000;
  return Math.ceil(Math.max(COLLECTOR_MAX_REQUEST_BYTES, largestTrace) / MIB) + ENVELOPE_MIB;
}
