/** The memory lab's head colours: read heads blue, write heads orange, in every view of the copy task. */
export const READ_COLOR = '#1c7ed6';
export const WRITE_COLOR = '#d9480f';
