/** The family card's colours: right and wrong answers, the loss curve and the accuracy under attack. */
export const RIGHT = '#2f9e44';
export const WRONG = '#e03131';
export const LOSS_COLOUR = '#1c7ed6';
export const ADV_COLOUR = '#d9480f';
