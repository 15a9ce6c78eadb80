import { AdminNav } from "./admin-nav";

/** Every administration page: the pages themselves check the role on the server (requireAdmin). */
export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}
