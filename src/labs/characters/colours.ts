/** The roles' colours, shared by every card that marks support and query images. */
export const SUPPORT_COLOUR = '#1c7ed6';
export const QUERY_COLOUR = '#f08c00';
