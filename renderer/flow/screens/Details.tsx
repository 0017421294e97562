// Optional details: category from big icons, place from the village's quick picks. Each one tap,
// each skippable. No free text: there is no well-kept offline pinyin/handwriting input library
// (docs/RESIDENT-FLOW.md), and residents should not have to type.
import { useFlow } from '../context.tsx';
import { Icon } from '../../icons.tsx';
import { boothCategories, categoryIcon } from '../categories.ts';
import { Frame } from './Frame.tsx';

export function DetailsScreen() {
  const { t, state, dispatch, settings, lang } = useFlow();
  // Categories are the back office's list with its short resident labels (one vocabulary with the staff app).
  const categories = boothCategories(settings);
  // Places are the village's quick picks, set in the back office (issue 8's settings sync).
  const places = settings.backOffice?.quickPickPlaces ?? [];
  return (
    <Frame title={t.detailsTitle} className="screen-details">
      <h2 className="section">{t.categoryTitle}</h2>
      <div className="grid grid-cats" role="group" aria-label={t.categoryTitle}>
        {categories.map(({ code, short, shortEn }) => (
          <button
            key={code}
            type="button"
            className="btn btn-toggle btn-cat"
            aria-pressed={state.category === code}
            onClick={() => dispatch({ type: 'SET_CATEGORY', category: state.category === code ? null : code })}
          >
            <Icon name={categoryIcon(code)} size="56px" />
            <span>{lang === 'en' ? shortEn : short}</span>
          </button>
        ))}
      </div>
      <h2 className="section">{t.locationTitle}</h2>
      {places.length > 0 ? (
        <div className="grid grid-places" role="group" aria-label={t.locationTitle}>
          {places.map((p) => (
            <button
              key={p}
              type="button"
              className="btn btn-toggle"
              aria-pressed={state.location === p}
              onClick={() => dispatch({ type: 'SET_LOCATION', location: state.location === p ? null : p })}
            >
              <Icon name="place" /> {p}
            </button>
          ))}
        </div>
      ) : (
        <p>{t.noLocations}</p>
      )}
      <div className="row bottom-row">
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => {
            dispatch({ type: 'SET_CATEGORY', category: null });
            dispatch({ type: 'SET_LOCATION', location: null });
            dispatch({ type: 'DETAILS_DONE' });
          }}
        >
          {t.skip}
        </button>
        <button type="button" className="btn btn-primary btn-next" onClick={() => dispatch({ type: 'DETAILS_DONE' })}>
          <Icon name="check" /> {t.next}
        </button>
      </div>
    </Frame>
  );
}
