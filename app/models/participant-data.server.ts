import { db } from "~/platform/db.server";

/**
 * Everything Parley holds about one participant of one survey, for a request
 * to see one's data (confidential surveys return the answers too). Personal
 * links appear by date only: the tokens themselves are never stored.
 */
export async function participantData(surveyId: string, id: string) {
  const participant = await db().participant.findFirst({
    where: { id, surveyId },
    select: {
      name: true,
      email: true,
      language: true,
      timeZone: true,
      region: true,
      country: true,
      unit: true,
      createdAt: true,
      invitedAt: true,
      lastContactedAt: true,
      remindersSent: true,
      respondedAt: true,
      bouncedAt: true,
      unsubscribedAt: true,
      survey: { select: { slug: true, mode: true } },
      tokens: { select: { createdAt: true, revokedAt: true }, orderBy: { createdAt: "asc" } },
      response: {
        select: {
          status: true,
          language: true,
          startedAt: true,
          updatedAt: true,
          submittedAt: true,
          answers: {
            select: {
              question: { select: { key: true } },
              option: { select: { key: true } },
              row: { select: { key: true } },
              textValue: true,
              numberValue: true,
            },
          },
        },
      },
    },
  });
  if (!participant) return null;
  const { survey, tokens, response, ...person } = participant;
  const [emails, forumRegistrations] = await Promise.all([
    db().outboxMessage.findMany({
      where: { participantId: id },
      select: { template: true, subject: true, language: true, status: true, createdAt: true, sentAt: true },
      orderBy: { createdAt: "asc" },
    }),
    // Forum sign-ups are not tied to a survey's participant list, only to an address.
    db().forumRegistration.findMany({
      where: { email: { in: [person.email, person.email.toLowerCase()] } },
      select: {
        name: true,
        email: true,
        language: true,
        status: true,
        attended: true,
        createdAt: true,
        session: { select: { startsAt: true, series: { select: { slug: true } } } },
      },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  return {
    survey,
    participant: person,
    personalLinks: tokens,
    // An anonymous response carries no link to its author (see README, Privacy): it cannot be returned.
    response:
      survey.mode === "anonymous" || !response
        ? null
        : {
            ...response,
            answers: response.answers.map((answer) => ({
              question: answer.question.key,
              option: answer.option?.key ?? null,
              row: answer.row?.key ?? null,
              text: answer.textValue,
              number: answer.numberValue,
            })),
          },
    emails,
    forumRegistrations: forumRegistrations.map(({ session, ...registration }) => ({
      ...registration,
      series: session.series.slug,
      startsAt: session.startsAt,
    })),
  };
}
