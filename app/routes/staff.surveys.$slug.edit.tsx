import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EditorPage } from "~/features/editor/components/editor-page";
import { editorPage, saveEdit, staffZone } from "~/features/editor/index.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "surveys.edit");
  return editorPage(survey, staffZone(request));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.edit");
  const outcome = await saveEdit(request, user, survey);
  if (outcome.ok) return redirect(`/staff/surveys/${survey.slug}/edit?saved=${outcome.number}`);
  return data(outcome, { status: outcome.status });
}

export default function SurveyEditor() {
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  return (
    <EditorPage page={page} failure={outcome && "errors" in outcome ? outcome : null} conflict={outcome && "conflict" in outcome ? outcome.conflict : null} />
  );
}
