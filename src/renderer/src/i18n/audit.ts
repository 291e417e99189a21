import { defineMessages } from './define'

export const auditMessages = defineMessages({}, {})
