/** The page: a header, then the World view (later issues add the training views). */
import { WorldView } from './WorldView';

/** The whole app. */
export function App() {
  return (
    <>
      <header className="app-header">
        <h1>RecSys Playground</h1>
        <p>
          Build a seeded world of users and videos, then watch the two-stage YouTube recommender
          (Covington et al., RecSys 2016) learn from it.
        </p>
      </header>
      <WorldView />
    </>
  );
}
