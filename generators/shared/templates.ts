// The Handlebars engine lives on the adapter side (nodes/shared/templates.ts) because the Kafka
// Admin node's Terraform export renders with it too; the generators use the same one.
export { render } from '../../nodes/shared/templates';
