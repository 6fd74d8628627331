"""Pages of govtrain.scorm: `content` on the content origin, `packages` on the platform."""
