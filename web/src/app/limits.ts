/** Input limits shared by the views (form attributes) and the commands (validation). */
export const MAX_BODY = 10_000;
export const MAX_STATUS = 200;
