/** The app's name and version, shown in the shell. */
export const APP_NAME = "Porthole";
export const APP_VERSION = "0.1.0";
