/** The memory lab's head colours: read heads blue, write heads orange, in every view of the copy task (dark enough for text: 5:1 on white). */
export const READ_COLOR = '#1971c2';
export const WRITE_COLOR = '#c2410c';
