package org.volseg.train.eval;

import org.volseg.VolSegException;

/** Two label images cannot be compared voxel by voxel: different grids, positions or channel counts. */
class IncompatibleVolumesException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public IncompatibleVolumesException(String message) {
		super(message);
	}
}
