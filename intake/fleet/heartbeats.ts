// The port the fleet page reads heartbeats through (fleetApi.ts); the store implements it
// (store/delivery.ts). On its own so the store does not import the route module.
import type { FleetHeartbeat } from '../../contract/booth.ts';

export interface FleetHeartbeats {
  latest(boothCode: string): Promise<FleetHeartbeat | null>;
  since(boothCode: string, fromMs: number): Promise<FleetHeartbeat[]>;
}
