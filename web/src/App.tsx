import { Center, Loader } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { ApiError, api, type Me } from "./api";
import { Layout } from "./Layout";
import { LoginPage } from "./pages/Login";
import { ProjectsPage } from "./pages/Projects";
import { SetupPage } from "./pages/Setup";
import { TokensPage } from "./pages/Tokens";
import { WorkspacePage } from "./pages/Workspace";

// The repository screens are most of the app's code; they load when a project is first opened.
const ProjectPage = lazy(() => import("./repository/ProjectPage").then((m) => ({ default: m.ProjectPage })));
const CasePage = lazy(() => import("./repository/CasePage").then((m) => ({ default: m.CasePage })));
const CaseFormPage = lazy(() =>
  import("./repository/CaseFormPage").then((m) => ({ default: m.CaseFormPage })),
);
const CaseVersionPage = lazy(() =>
  import("./repository/CaseVersionPage").then((m) => ({ default: m.CaseVersionPage })),
);
const ReviewsPage = lazy(() => import("./reviews/ReviewsPage").then((m) => ({ default: m.ReviewsPage })));
const ReviewPage = lazy(() => import("./reviews/ReviewPage").then((m) => ({ default: m.ReviewPage })));
const ReviewFormPage = lazy(() =>
  import("./reviews/ReviewFormPage").then((m) => ({ default: m.ReviewFormPage })),
);
const RunsPage = lazy(() => import("./runs/RunsPage").then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import("./runs/RunPage").then((m) => ({ default: m.RunPage })));
const PlansPage = lazy(() => import("./manage/PlansPage").then((m) => ({ default: m.PlansPage })));
const MilestonesPage = lazy(() =>
  import("./manage/MilestonesPage").then((m) => ({ default: m.MilestonesPage })),
);
const EnvironmentsPage = lazy(() =>
  import("./manage/EnvironmentsPage").then((m) => ({ default: m.EnvironmentsPage })),
);
const DefectsPage = lazy(() => import("./manage/DefectsPage").then((m) => ({ default: m.DefectsPage })));
const SharedStepsPage = lazy(() =>
  import("./manage/SharedStepsPage").then((m) => ({ default: m.SharedStepsPage })),
);
const ConfigurationsPage = lazy(() =>
  import("./manage/ConfigurationsPage").then((m) => ({ default: m.ConfigurationsPage })),
);
const CustomFieldsPage = lazy(() =>
  import("./manage/CustomFieldsPage").then((m) => ({ default: m.CustomFieldsPage })),
);
const SharedParametersPage = lazy(() =>
  import("./manage/SharedParametersPage").then((m) => ({ default: m.SharedParametersPage })),
);
const ProjectSettingsPage = lazy(() =>
  import("./manage/ProjectSettingsPage").then((m) => ({ default: m.ProjectSettingsPage })),
);

const SearchPage = lazy(() => import("./search/SearchPage").then((m) => ({ default: m.SearchPage })));

const loading = (
  <Center h={200}>
    <Loader aria-label="Loading" />
  </Center>
);

export function App() {
  const setup = useQuery({
    queryKey: ["setup"],
    queryFn: () => api<{ needs_setup: boolean; setup_code_required: boolean }>("GET", "/v1/auth/setup"),
  });
  const me = useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      try {
        return await api<Me>("GET", "/v1/auth/me");
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    enabled: setup.data?.needs_setup === false,
  });

  if (setup.isPending || (setup.data?.needs_setup === false && me.isPending)) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (setup.data?.needs_setup) return <SetupPage codeRequired={setup.data.setup_code_required} />;
  if (!me.data) return <LoginPage />;
  return (
    <Layout me={me.data}>
      <Suspense fallback={loading}>
        <Routes>
          <Route path="/" element={<Navigate to="/projects" replace />} />
          <Route path="/projects" element={<ProjectsPage me={me.data} />} />
          <Route path="/projects/:code" element={<ProjectPage me={me.data} />} />
          <Route path="/projects/:code/cases/new" element={<CaseFormPage me={me.data} />} />
          <Route path="/projects/:code/cases/:id/edit" element={<CaseFormPage me={me.data} />} />
          <Route path="/projects/:code/cases/:id" element={<CasePage me={me.data} />} />
          <Route path="/projects/:code/cases/:id/versions/:version" element={<CaseVersionPage />} />
          <Route path="/projects/:code/reviews" element={<ReviewsPage me={me.data} />} />
          <Route path="/projects/:code/reviews/new" element={<ReviewFormPage me={me.data} />} />
          <Route path="/projects/:code/reviews/:id" element={<ReviewPage me={me.data} />} />
          <Route path="/projects/:code/reviews/:id/edit" element={<ReviewFormPage me={me.data} />} />
          <Route path="/projects/:code/runs" element={<RunsPage me={me.data} />} />
          <Route path="/projects/:code/runs/:id" element={<RunPage me={me.data} />} />
          <Route path="/projects/:code/plans" element={<PlansPage me={me.data} />} />
          <Route path="/projects/:code/milestones" element={<MilestonesPage me={me.data} />} />
          <Route path="/projects/:code/environments" element={<EnvironmentsPage me={me.data} />} />
          <Route path="/projects/:code/defects" element={<DefectsPage me={me.data} />} />
          <Route path="/projects/:code/shared-steps" element={<SharedStepsPage me={me.data} />} />
          <Route path="/projects/:code/configurations" element={<ConfigurationsPage me={me.data} />} />
          <Route path="/projects/:code/custom-fields" element={<CustomFieldsPage me={me.data} />} />
          <Route path="/projects/:code/shared-parameters" element={<SharedParametersPage me={me.data} />} />
          <Route path="/projects/:code/settings" element={<ProjectSettingsPage me={me.data} />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/tokens" element={<TokensPage me={me.data} />} />
          {me.data.permissions.includes("user.manage") && (
            <Route path="/workspace" element={<WorkspacePage me={me.data} />} />
          )}
          <Route path="*" element={<Navigate to="/projects" replace />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
