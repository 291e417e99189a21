import { defineMessages } from './define'

export const campaignsMessages = defineMessages({}, {})
