// Identity shown masked by default (PRODUCT.md, PIPL). The same shapes as the booth's receipt:
// 110***********1234 for an ID number, 138****5678 for a mobile, the surname only for a name.

export interface Identity {
  name: string;
  idNumber: string;
  address: string;
  phone: string;
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 7) return '*'.repeat(s.length);
  return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
}

export function maskPhone(phone: string): string {
  const d = phone.replace(/\s+/g, '');
  if (d.length < 7) return '*'.repeat(d.length);
  return d.slice(0, 3) + '*'.repeat(d.length - 7) + d.slice(-4);
}

/** Keeps the first few characters (district, street) and hides the house number. */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return chars.slice(0, keep).join('') + (chars.length > keep ? '****' : '');
}

export function maskIdentity(i: Partial<Identity>): Partial<Identity> {
  const out: Partial<Identity> = {};
  if (i.name) out.name = maskName(i.name);
  if (i.idNumber) out.idNumber = maskIdNumber(i.idNumber);
  if (i.address) out.address = maskAddress(i.address);
  if (i.phone) out.phone = maskPhone(i.phone);
  return out;
}
