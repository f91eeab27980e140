// Entry point of the running platform (see tooling/stack); `npm start` builds first, then runs this.
import "../tooling/stack/src/main";
