/** The wire protocol version this SDK speaks. Frames of any other version are refused. */
export const PROTOCOL_VERSION = 1 as const;
