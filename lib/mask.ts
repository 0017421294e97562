// The one masking rule for personal data shown on a screen, a receipt, a log line or the staff app
// (PRODUCT.md: shown masked, PIPL). Every masked form keeps at least one '*', so a masked value never
// reads as the whole value:
//   name       王小明 → 王**, 李 → 李*         (the family name only)
//   ID number  110101199003077571 → 110***********7571   (first 3, last 4; 7 or fewer: all stars)
//   phone      13812345678 → 138****5678
//   address    北京市丰台区某某村8号楼3单元 → 北京市丰台区****   (district and street, not the house)
// Surrounding spaces are not part of the value.

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

/** The staff view of an identity (contract/identity.ts IdentityView), every field masked. */
export function maskIdentity(i: { name?: string; idNumber?: string; address?: string; phone?: string }): {
  name?: string;
  idNumber?: string;
  address?: string;
  phone?: string;
} {
  const out: { name?: string; idNumber?: string; address?: string; phone?: string } = {};
  if (i.name) out.name = maskName(i.name);
  if (i.idNumber) out.idNumber = maskIdNumber(i.idNumber);
  if (i.address) out.address = maskAddress(i.address);
  if (i.phone) out.phone = maskPhone(i.phone);
  return out;
}
