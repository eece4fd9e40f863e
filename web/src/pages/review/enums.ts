// The carriers the shipping dialog suggests (free text is accepted too); the review pages' other
// closed lists (provinces, organizer types) are the application's, in api/applications.ts.
// Keys of review.carrier.*; the value sent is the carrier's name in the console's language.
export const kCarriers = ['sf', 'ems', 'jd', 'zto', 'yto', 'sto', 'yunda', 'deppon'] as const;
