// The resident number as a villager sees and hears it: groups of four digits (1234 5678). The kiosk
// may not import lib/ (docs/ARCHITECTURE.md); lib/vocab.ts groupResidentNumber is the same rule.
export function residentNumberGroups(n: string): string[] {
  return n.replace(/\D/g, '').match(/.{1,4}/g) ?? [];
}
