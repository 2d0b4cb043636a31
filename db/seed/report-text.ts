/**
 * Vocabulary for generated reports: what builders write up after talking to customers.
 * Account names are invented; none is meant to be a real company.
 */

export const PRODUCTS = [
  'the Payments API', 'the Python SDK', 'the TypeScript SDK', 'Edge Functions', 'Data Pipelines', 'the CLI',
  'Auth Connectors', 'Vector Search', 'the Mobile SDK', 'Streaming Ingest', 'the Terraform provider',
  'the Go SDK', 'Webhooks', 'the Admin Console', 'Usage Billing', 'the GraphQL API', 'Workflow Engine',
  'Object Storage', 'the Java SDK', 'Observability Add-on',
] as const;

export const TITLE_OPENINGS = [
  'Onboarding friction in', 'Feature request for', 'Migration blockers for', 'Workshop recap:',
  'Escalation review:', 'Hackathon findings on', 'Latency concerns with', 'SDK pain points in',
  'Pricing questions about', 'Documentation gaps in', 'Adoption patterns of', 'Quota limits hit in',
  'Integration feedback on', 'Error handling in', 'Local development with', 'Security review of',
] as const;

export const SUMMARY_SENTENCES = [
  'The team reproduced the issue in a sample project and shared the steps.',
  'Several builders asked for clearer examples covering the common path.',
  'The customer is evaluating a competitor and wants a roadmap commitment.',
  'Most of the friction came from authentication setup, not the API itself.',
  'Attendees finished the lab, but only after help with environment configuration.',
  'Usage grew steadily after the last release, with a spike in retries.',
  'The workaround holds for now, but it will not scale past the next quarter.',
  'Feedback was positive overall; the gaps are concentrated in error messages.',
  'Two accounts reported the same limit within a week of each other.',
  'A partner built an integration over a weekend and documented the rough edges.',
] as const;

export const BODY_SENTENCES = [
  'We walked through the integration end to end with their platform team.',
  'Their engineers rely on the default retry policy and did not expect backoff to be capped.',
  'The quickstart assumes a package manager that half of the attendees did not use.',
  'Logs show repeated token refreshes, which points to a clock skew on their side.',
  'They asked whether regional endpoints are on the roadmap for next year.',
  'The sample app works, but the migration guide skips the schema changes.',
  'Error responses do not say which field failed validation, so support tickets pile up.',
  'A staff engineer offered to review the next draft of the guide.',
  'The account plans to double usage if batch limits are raised.',
  'We recommend a short video for the setup steps and a troubleshooting page.',
  'Latency at the 99th percentile doubled during their nightly import window.',
  'Builders liked the new CLI prompts and asked for the same in the console.',
  'The workshop ran over time; the second lab should be optional.',
  'Support confirmed the behaviour matches the documentation, which is itself unclear.',
  'Follow-up is scheduled with the product team in two weeks.',
] as const;

export const TAGS = [
  'onboarding', 'docs', 'sdk', 'api', 'performance', 'pricing', 'security', 'migration', 'workshop',
  'hackathon', 'escalation', 'feature-request', 'bug', 'community', 'partner', 'startup', 'enterprise',
  'latency', 'billing', 'auth', 'observability', 'mobile', 'data', 'ai',
] as const;

export const CUSTOMER_ACCOUNTS = [
  'Acme Robotics', 'Blue Heron Labs', 'Cobalt Freight', 'Driftwood Media', 'Emberline Energy', 'Fjord Analytics',
  'Granite Health', 'Harborview Bank', 'Indigo Retail', 'Juniper Games', 'Kestrel Aerospace', 'Lumen Education',
  'Maple Logistics', 'Northwind Traders', 'Orchid Biotech', 'Pinecrest Insurance', 'Quartz Security',
  'Redwood Studios', 'Saffron Foods', 'Tidewater Telecom', 'Umbra Devices', 'Vantage Mobility',
  'Willow Pharmacy', 'Xenon Materials', 'Yellowfin Travel', 'Zephyr Cloudworks', 'Alder Legal', 'Birch Capital',
  'Cedar Manufacturing', 'Dune Agritech', 'Elm Street Books', 'Fable Toys', 'Glacier Water', 'Helix Genomics',
  'Ironclad Shipping', 'Jade Hospitality', 'Kite Payments', 'Larkspur Fashion', 'Meadow Dairy', 'Nimbus Weather',
] as const;
