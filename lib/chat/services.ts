/** The service types a chat can be about. Add one here and it appears everywhere (with a guide in guide.ts). */
export const SERVICE_TYPES = [
  { id: "tax", label: "Tax Services", description: "Corporate and personal tax, VAT, residency for tax purposes" },
  { id: "company-formation", label: "Company Formation", description: "Setting up a company, free zones, licences" },
  { id: "banking", label: "Banking", description: "Business and personal accounts, KYC, payments" },
  { id: "legal", label: "Legal", description: "Contracts, compliance, disputes, intellectual property" },
  { id: "immigration", label: "Immigration & Visas", description: "Work permits, residence and investor visas" },
  { id: "accounting", label: "Accounting & Bookkeeping", description: "Books, audits, financial statements, payroll" },
  { id: "real-estate", label: "Real Estate", description: "Buying, renting and investing in property" },
  { id: "advisory", label: "Business Advisory", description: "Market entry, strategy, partners and funding" },
] as const;

export type ServiceType = (typeof SERVICE_TYPES)[number]["id"];
export const SERVICE_TYPE_IDS = SERVICE_TYPES.map((s) => s.id) as [ServiceType, ...ServiceType[]];

export function serviceLabel(id: string): string {
  return SERVICE_TYPES.find((s) => s.id === id)?.label ?? id;
}
