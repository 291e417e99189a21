import { defineMessages } from './define'

export const firmwareMessages = defineMessages({}, {})
