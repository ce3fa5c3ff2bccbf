import { useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { LanguageInfo } from "~/platform/i18n";

/**
 * Plain links, so switching works without JavaScript; a <details> keeps the
 * list out of the way on small screens. Each name is in its own language and
 * marked with lang so screen readers pronounce it correctly (WCAG 3.1.2).
 */
export function LanguageSwitcher({ languages, current }: { languages: LanguageInfo[]; current: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const back = location.pathname + location.search;
  const currentInfo = languages.find((language) => language.code === current);
  return (
    <nav className="language-switcher" aria-label={t("language.switcherLabel")}>
      <details>
        <summary>
          <span className="visually-hidden">{t("language.current")} </span>
          <span lang={current}>{currentInfo?.endonym ?? current}</span>
        </summary>
        <ul>
          {languages.map((language) => (
            <li key={language.code}>
              <a
                href={`/language/${language.code}?back=${encodeURIComponent(back)}`}
                lang={language.code}
                hrefLang={language.code}
                dir={language.dir}
                aria-current={language.code === current ? "true" : undefined}
              >
                {language.endonym}
              </a>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}
