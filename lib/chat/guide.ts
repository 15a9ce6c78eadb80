import type { ServiceType } from "./services";

/**
 * The offline assistant's bundled knowledge: for each service, the usual next steps and a few topics people ask
 * about. General guidance only — it never pretends to know country-specific rules it does not have.
 */
export type Guide = {
  steps: string[];
  topics: { keywords: string[]; answer: string }[];
};

export const GUIDES: Record<ServiceType, Guide> = {
  tax: {
    steps: [
      "Confirm where you (or your company) will be tax resident, and whether a double-tax treaty applies.",
      "Register with the tax authority for corporate tax and, if your turnover passes the threshold, for VAT/GST.",
      "Set up a calendar of filing and payment deadlines, with your accountant copied in.",
      "Keep invoices and contracts for at least the statutory retention period (often 5–7 years).",
    ],
    topics: [
      {
        keywords: ["vat", "gst", "sales tax"],
        answer:
          "VAT/GST registration usually becomes mandatory above a turnover threshold; voluntary registration below it can let you reclaim input tax.",
      },
      {
        keywords: ["resident", "residency", "treaty"],
        answer:
          "Tax residency normally depends on days present, your permanent home and where management decisions are made; treaties decide ties between two countries.",
      },
      {
        keywords: ["deadline", "when", "file", "filing"],
        answer: "Corporate returns are typically due within 9–12 months of the financial year end; VAT returns monthly or quarterly.",
      },
    ],
  },
  "company-formation": {
    steps: [
      "Choose the legal form (e.g. limited liability company or branch) and, where offered, mainland or free zone.",
      "Reserve the company name and prepare the articles of association.",
      "Apply for the trade licence for your business activities.",
      "Open a corporate bank account and deposit any required share capital.",
      "Register for tax and social security, and lease registered office space.",
    ],
    topics: [
      {
        keywords: ["free zone", "freezone"],
        answer: "Free zones usually allow full foreign ownership and simpler set-up, but may limit trading directly with the local market.",
      },
      {
        keywords: ["cost", "fee", "price", "how much"],
        answer: "Costs combine licence fees, registration, office lease and visas; ask for an itemised quote covering the first two years.",
      },
      {
        keywords: ["how long", "time", "weeks", "days"],
        answer: "Simple formations can take one to three weeks; bank account opening is often the slowest step.",
      },
    ],
  },
  banking: {
    steps: [
      "List the banks that serve your kind of business and the currencies you need.",
      "Prepare KYC documents: company documents, shareholder IDs and proof of address, and a business plan.",
      "Book an introductory meeting; many banks require one in person.",
      "Set up online banking, users and payment limits once the account is approved.",
    ],
    topics: [
      {
        keywords: ["kyc", "documents", "paperwork"],
        answer:
          "Expect certified copies of incorporation documents, the shareholder register, passports, proof of address and evidence of the source of funds.",
      },
      {
        keywords: ["how long", "time", "weeks"],
        answer: "Corporate accounts commonly take two to six weeks, depending on the bank's compliance review.",
      },
    ],
  },
  legal: {
    steps: [
      "Write down what you need: a contract, a compliance review, a dispute or intellectual-property protection.",
      "Find a lawyer licensed in the country and experienced in your sector.",
      "Agree on scope, fees and timelines in an engagement letter.",
      "Keep signed documents and correspondence in one place.",
    ],
    topics: [
      {
        keywords: ["contract", "agreement"],
        answer: "Check governing law, dispute resolution (courts or arbitration), termination rights and liability caps first.",
      },
      {
        keywords: ["trademark", "ip", "intellectual"],
        answer: "Register trademarks in each country where you trade; registration is territorial.",
      },
    ],
  },
  immigration: {
    steps: [
      "Identify the visa route: employment, investor, freelancer or family.",
      "Check the eligibility criteria (salary, investment amount, qualifications).",
      "Gather documents: passport, photos, attested degrees, medical and police certificates as required.",
      "Submit the application (often through the employer or sponsor) and book any biometrics appointment.",
    ],
    topics: [
      {
        keywords: ["family", "spouse", "children"],
        answer: "Family members can usually be sponsored once the main applicant holds residence and meets a minimum income.",
      },
      {
        keywords: ["how long", "time", "processing"],
        answer: "Processing ranges from a few days to several months; apply well ahead of planned travel.",
      },
    ],
  },
  accounting: {
    steps: [
      "Choose accounting software and a chart of accounts that matches local reporting rules.",
      "Decide who keeps the books: in-house, an outsourced bookkeeper, or an accounting firm.",
      "Close each month: reconcile bank accounts, record payables and receivables.",
      "Prepare annual financial statements and book the audit if one is required.",
    ],
    topics: [
      {
        keywords: ["audit"],
        answer:
          "Audits are often mandatory above certain size thresholds or for particular company types; check early so the auditor can be appointed in time.",
      },
      {
        keywords: ["payroll", "salary", "employees"],
        answer: "Payroll needs registration with social security and timely withholding; many countries require a protected wage system.",
      },
    ],
  },
  "real-estate": {
    steps: [
      "Check whether foreigners may own property in the area you like, and in which form.",
      "Set your budget including transfer taxes, agent and registration fees.",
      "Have the title and any encumbrances checked by a lawyer before signing.",
      "Sign the sale or lease agreement and register it with the land authority.",
    ],
    topics: [
      {
        keywords: ["foreign", "foreigner", "own"],
        answer:
          "Many countries restrict foreign ownership to designated zones or leasehold; a local lawyer can confirm the rules for a given plot.",
      },
      {
        keywords: ["rent", "lease", "tenant"],
        answer: "Leases are often registered with a public authority, which also protects tenants' deposits and rights.",
      },
    ],
  },
  advisory: {
    steps: [
      "Define the goal: market entry, expansion, partnership or fundraising.",
      "Size the market and map competitors and regulations.",
      "Choose the entry model: distributor, partner, branch or subsidiary.",
      "Build a 12-month plan with budget, hires and milestones.",
    ],
    topics: [
      {
        keywords: ["partner", "distributor", "agent"],
        answer: "Check exclusivity, territory and termination clauses carefully; some countries protect commercial agents strongly.",
      },
      {
        keywords: ["funding", "investor", "grant"],
        answer: "Look at local grant programmes, government funds and free-zone incentives alongside private investors.",
      },
    ],
  },
};
