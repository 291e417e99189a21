export const firmwareCalls = {}

export const firmwareEvents = {}
