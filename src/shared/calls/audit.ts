export const auditCalls = {}

export const auditEvents = {}
