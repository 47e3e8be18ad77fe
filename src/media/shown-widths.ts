// The widths, in CSS pixels, at which the bulletin theme shows images, and so the widths uploads are
// prepared at (with twice that kept for sharp screens). Pure: the theme, the API and the staff app
// read the same numbers.

/** A block's image or an announcement's: the width of the mail. */
export const FULL_WIDTH = 600;

/** The organisation's logo at the top of every bulletin. */
export const LOGO_WIDTH = 180;
