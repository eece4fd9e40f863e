// The closed lists the review pages offer in selects (their names are in the review locale
// modules): provinces (GB/T 2260, data/rules/provinces.tsv), organizer types
// (organizer_types.tsv) and the carriers the shipping dialog suggests (free text is accepted too).
export const kProvinces = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41',
  '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
] as const;

export const kOrganizerTypes = [
  'enterprise',
  'individual',
  'government',
  'public_institution',
  'social_organization',
  'private_non_enterprise',
  'foundation',
  'law_firm',
  'military',
] as const;

// Keys of review.carrier.*; the value sent is the carrier's name in the console's language.
export const kCarriers = ['sf', 'ems', 'jd', 'zto', 'yto', 'sto', 'yunda', 'deppon'] as const;
